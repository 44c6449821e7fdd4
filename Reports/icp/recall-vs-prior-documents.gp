# Drawn by the replicate harness; run `gnuplot recall-vs-prior-documents.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "In-context recall against the number of prior documents"
set xlabel "documents before the query (k)"
set ylabel "accuracy (%)"
set grid
set key outside right top
set logscale x
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'recall-vs-prior-documents.png'
plot 'recall-vs-prior-documents.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "RANDOM", \
     'recall-vs-prior-documents.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "ICP", \
     'recall-vs-prior-documents.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "KNN", \
     'recall-vs-prior-documents.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "CLUSTER", \
     5.0 with lines dt 2 lc rgb 'gray40' title "chance"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'recall-vs-prior-documents.svg'
plot 'recall-vs-prior-documents.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "RANDOM", \
     'recall-vs-prior-documents.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "ICP", \
     'recall-vs-prior-documents.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "KNN", \
     'recall-vs-prior-documents.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "CLUSTER", \
     5.0 with lines dt 2 lc rgb 'gray40' title "chance"
unset output
