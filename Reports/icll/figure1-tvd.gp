# Drawn by the replicate harness; run `gnuplot figure1-tvd.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Total variation distance to the true next-symbol law (Figure 1, right)"
set xlabel "architecture (1 = TF, 2 = LSTM, 3 = LSTM+NG)"
set ylabel "TVD (lower is better)"
set grid
set key outside right top
set xrange [0.5:3.5]
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'figure1-tvd.png'
plot 'figure1-tvd.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "TF", \
     'figure1-tvd.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "LSTM", \
     'figure1-tvd.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "LSTM+NG", \
     0.38947700072428654 with lines dt 2 lc rgb 'gray40' title "in-context 3-gram (backoff)", \
     0.4093056049900527 with lines dt 2 lc rgb 'gray40' title "in-context 2-gram (backoff)"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'figure1-tvd.svg'
plot 'figure1-tvd.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "TF", \
     'figure1-tvd.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "LSTM", \
     'figure1-tvd.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "LSTM+NG", \
     0.38947700072428654 with lines dt 2 lc rgb 'gray40' title "in-context 3-gram (backoff)", \
     0.4093056049900527 with lines dt 2 lc rgb 'gray40' title "in-context 2-gram (backoff)"
unset output
